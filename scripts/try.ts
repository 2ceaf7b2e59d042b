import { loadSpecFile } from "../spec/load";
import { UserError, formatIssue } from "../spec/errors";
try {
  const r = loadSpecFile(process.argv[2]);
  console.log(JSON.stringify(r.model, null, 1).slice(0, 3000));
  console.log(r.warnings.map(formatIssue).join("\n"));
} catch (e) { if (e instanceof UserError) { console.log(e.message); console.log(e.issues.map(formatIssue).join("\n")); } else throw e; }
