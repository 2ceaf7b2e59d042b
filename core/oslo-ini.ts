/**
 * A value for oslo.config's INI reader, which drops one pair of matching quotes around a value
 * each time it reads one (`'x'` is read as `x`). Kolla-Ansible's merge_configs reads an override
 * with it before the service does: `reads` is how many times the value is read so. A value that
 * starts and ends with the same quote is wrapped in one more pair per read.
 */
export function osloQuoted(value: string, reads: number): string {
  let out = value;
  for (let i = 0; i < reads; i++)
    if (out.length > 0 && out[0] === out[out.length - 1] && (out[0] === '"' || out[0] === "'"))
      out = `"${out}"`;
  return out;
}
