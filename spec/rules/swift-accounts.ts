import type { Spec } from "../schema";
import type { Findings } from "./findings";
import { backupContainer, imageBackend } from "../../core/object-stores";

/**
 * Image and backup containers are not made by Terraform but by the services that fill them, in
 * the account of the project that owns the data: Glance's multi-tenant store writes each image
 * to a container `<name>_<image id>`, cinder-backup writes to the named container of each
 * project on its first backup. So such a container must be the one its service uses, and it can
 * carry no setting nobody would apply: their ACLs are the services' (Glance sets each image
 * container's from the image's visibility and members, cinder-backup's stay the project's own),
 * Glance sets no storage policy (cinder-backup does, backup_swift_create_storage_policy), and
 * cinder-backup deletes a backup's objects when the backup is deleted (with versioning, Swift
 * would keep every deleted object as an old version and the space would never be freed).
 */
/** Swift's MAX_CONTAINER_NAME_LENGTH, in bytes (swift/common/constraints.py). */
const SWIFT_CONTAINER_BYTES = 256;
/** What glance_store's multi-tenant Swift store appends to the container name: `_` and a UUID. */
const GLANCE_CONTAINER_SUFFIX = 37;

export function swiftAccounts(spec: Spec, f: Findings): void {
  const images = imageBackend(spec.storage);
  const backups = backupContainer(spec.storage);
  let imageContainer: string | undefined;
  spec.storage.swift?.containers.forEach((c, i) => {
    const at = (...rest: (string | number)[]) => ["storage", "swift", "containers", i, ...rest];
    if (c.purpose === "images") {
      if (images !== "swift")
        f.error(
          "swift-container-unused",
          at("purpose"),
          `container ${c.name} is for Glance images, but Glance keeps images in ${images} (storage.image.backend); remove the container or set storage.image.backend: swift`,
        );
      else if (imageContainer !== undefined)
        f.error(
          "swift-container-unused",
          at("purpose"),
          `container ${c.name} is a second container for Glance images; Glance names its containers after one (${imageContainer}): remove one`,
        );
      imageContainer ??= c.name;
      // Swift's container names end at 256 bytes; Glance adds `_<image id>` (37 characters).
      const bytes = Buffer.byteLength(c.name, "utf8");
      const start = (n: number) => Array.from(c.name).slice(0, n).join("");
      if (bytes > SWIFT_CONTAINER_BYTES - GLANCE_CONTAINER_SUFFIX)
        f.error(
          "swift-container-name-long",
          at("name"),
          `container ${start(40)}... is ${bytes} bytes: Glance's multi-tenant store names each image's container ${start(12)}..._<image id>, ${GLANCE_CONTAINER_SUFFIX} bytes more, and Swift refuses names over ${SWIFT_CONTAINER_BYTES} bytes, so every image upload would fail; shorten it to ${SWIFT_CONTAINER_BYTES - GLANCE_CONTAINER_SUFFIX} bytes or fewer`,
        );
    }
    if (c.purpose === "backups" && c.name !== backups)
      f.error(
        "swift-container-unused",
        at("name"),
        backups === undefined
          ? `container ${c.name} is for volume backups, but backups do not go to Swift (storage.backup.service); remove the container or send backups to swift`
          : `container ${c.name} is for volume backups, but cinder-backup writes to ${backups} (storage.backup.container); name that container here or remove this one`,
      );
    if (c.purpose === "application") return;
    const made = c.purpose === "images" ? "Glance" : "cinder-backup";
    // cinder-backup creates its containers with a policy (backup_swift_create_storage_policy).
    if (c.purpose === "images" && c.storagePolicy !== undefined)
      f.error(
        "swift-container-policy",
        at("storagePolicy"),
        `container ${c.name} is made by Glance, which sets no storage policy on its containers; remove storagePolicy (new containers take the cluster's default policy)`,
      );
    if (c.public || c.readers.length > 0 || c.writers.length > 0)
      f.error(
        "swift-container-acl",
        at(c.public ? "public" : c.readers.length > 0 ? "readers" : "writers"),
        `container ${c.name} is made by ${made} in each project's account, whose access ${c.purpose === "images" ? "Glance sets from each image's visibility and members" : "stays with the project's members"}; remove public, readers and writers`,
      );
    if (c.versioning)
      f.error(
        c.purpose === "backups" ? "swift-backup-versioning" : "swift-container-versioning",
        at("versioning"),
        c.purpose === "backups"
          ? `backup container ${c.name} is versioned, so deleted volume backups would never free their space; remove versioning`
          : `container ${c.name} is made by Glance for each image, which sets no versioning (an image's data never changes); remove versioning`,
      );
  });
}
