/** Where a distribution keeps its CA bundle, the file TLS clients read by default. */
export const CA_BUNDLES = {
  /** Debian and Ubuntu (update-ca-certificates). */
  debian: "/etc/ssl/certs/ca-certificates.crt",
  /** Red Hat and its rebuilds (update-ca-trust); /etc/pki/tls/certs/ca-bundle.crt links to it. */
  redhat: "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
} as const;
