import { Construct } from "constructs";
import { SharedfilesystemShareAccessV2 } from "../.gen/providers/openstack/sharedfilesystem-share-access-v2";
import { SharedfilesystemShareV2 } from "../.gen/providers/openstack/sharedfilesystem-share-v2";
import { tfLiteral } from "../synth/escape";
import { stableId } from "./private/construct-id";
import { resourceName } from "./private/naming";

export interface FileShareProps {
  /** Prefix of every OpenStack resource name. */
  readonly namingPrefix: string;
  /** Size of the share (`storage.backup.shareSizeGiB`). */
  readonly sizeGiB: number;
  /** Name after the prefix. @default "backups" */
  readonly name?: string;
  /** What the share holds, recorded in its metadata. @default "backups" */
  readonly purpose?: string;
  /** Manila share type. @default the cloud's default share type */
  readonly shareType?: string;
  /**
   * Share network, for backends that create share servers (driver_handles_share_servers).
   * @default none
   */
  readonly shareNetworkId?: string;
  /**
   * Client addresses or CIDRs that may mount the share read-write.
   * @default none: nobody can mount it until an access rule is added
   */
  readonly accessCidrs?: readonly string[];
}

/** A Manila NFS share for the backup and file service, private, with IP access rules. */
export class FileShare extends Construct {
  readonly share: SharedfilesystemShareV2;

  constructor(scope: Construct, id: string, props: FileShareProps) {
    super(scope, id);
    if (!Number.isInteger(props.sizeGiB) || props.sizeGiB < 1)
      throw new Error(
        `FileShare sizeGiB must be a whole number of GiB, at least 1; got ${props.sizeGiB}. Set storage.backup.shareSizeGiB`,
      );
    const name = props.name ?? "backups";
    const purpose = props.purpose ?? "backups";
    this.share = new SharedfilesystemShareV2(this, "Resource", {
      name: resourceName(props.namingPrefix, name),
      description: tfLiteral(`${purpose} file share`),
      shareProto: "NFS",
      size: props.sizeGiB,
      isPublic: false,
      ...(props.shareType ? { shareType: tfLiteral(props.shareType) } : {}),
      ...(props.shareNetworkId ? { shareNetworkId: props.shareNetworkId } : {}),
      metadata: { purpose: tfLiteral(purpose) },
    });
    const seen = new Set<string>();
    for (const cidr of props.accessCidrs ?? []) {
      if (seen.has(cidr)) throw new Error(`FileShare accessCidrs lists ${cidr} twice`);
      seen.add(cidr);
      // Replacing '.' and ':' alike would be ambiguous (`::ffff:1.2.3.4` and `::ffff:1:2:3:4`).
      new SharedfilesystemShareAccessV2(this, `access-${stableId(cidr)}`, {
        shareId: this.share.id,
        accessType: "ip",
        accessTo: tfLiteral(cidr),
        accessLevel: "rw",
      });
    }
  }
}
