import type { Spec } from "../schema";
import type { Findings } from "./findings";

/**
 * Backup containers live in each tenant's account and are created by cinder-backup, which
 * deletes a backup's objects when the backup is deleted: with versioning, Swift would keep every
 * deleted object as an old version and the space would never be freed.
 */
export function swiftAccounts(spec: Spec, f: Findings): void {
  spec.storage.swift?.containers.forEach((c, i) => {
    if (c.purpose === "backups" && c.versioning)
      f.error(
        "swift-backup-versioning",
        ["storage", "swift", "containers", i, "versioning"],
        `backup container ${c.name} is versioned, so deleted volume backups would never free their space; remove versioning`,
      );
  });
}
