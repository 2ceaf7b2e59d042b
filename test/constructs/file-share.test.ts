// Declares the cdktf matchers on jest's expect.
import "cdktf/lib/testing/adapters/jest";
import { Testing, TerraformStack } from "cdktf";
import { SharedfilesystemShareAccessV2 } from "../../.gen/providers/openstack/sharedfilesystem-share-access-v2";
import { SharedfilesystemShareV2 } from "../../.gen/providers/openstack/sharedfilesystem-share-v2";
import { FileShare, type FileShareProps } from "../../constructs/file-share";
import { load, variant } from "../support/fixtures";
import { schemaProblems } from "../support/provider-schema";
import { testApp } from "../support/synth";

Testing.setupJest();

const model = load(
  variant((s) => {
    s.controlPlane.services = ["keystone", "cinder", "manila"];
    s.storage = { backup: { service: "manila", shareSizeGiB: 2048 } };
  }),
).model;

function synth(props: Partial<FileShareProps>): string {
  const app = testApp();
  const stack = new TerraformStack(app, "test");
  new FileShare(stack, "backup-share", {
    namingPrefix: model.naming.prefix,
    sizeGiB: model.storage.backup?.service === "manila" ? model.storage.backup.shareSizeGiB : 0,
    ...props,
  });
  return Testing.synth(stack);
}

describe("FileShare", () => {
  test("creates a private NFS share of the backup size", () => {
    // WHEN
    const out = synth({});
    // THEN
    expect(out).toHaveResourceWithProperties(SharedfilesystemShareV2, {
      name: "sw-backups",
      share_proto: "NFS",
      size: 2048,
      is_public: false,
      metadata: { purpose: "backups" },
    });
    expect(JSON.parse(out).resource.openstack_sharedfilesystem_share_access_v2).toBeUndefined();
    expect(schemaProblems(JSON.parse(out))).toEqual([]);
  });

  test("grants read-write IP access to the listed clients only", () => {
    const out = synth({ accessCidrs: ["10.0.3.0/24", "10.0.1.11"], shareType: "nfs ${x}" });
    const json = JSON.parse(out);
    expect(Object.keys(json.resource.openstack_sharedfilesystem_share_access_v2)).toHaveLength(2);
    expect(out).toHaveResourceWithProperties(SharedfilesystemShareAccessV2, {
      share_id: expect.stringContaining("openstack_sharedfilesystem_share_v2"),
      access_type: "ip",
      access_to: "10.0.3.0/24",
      access_level: "rw",
    });
    expect(out).toHaveResourceWithProperties(SharedfilesystemShareV2, { share_type: "nfs $${x}" });
    expect(schemaProblems(json)).toEqual([]);
  });

  test("fails when the size is not a positive whole number", () => {
    expect(() => synth({ sizeGiB: 0 })).toThrow("FileShare sizeGiB must be a whole number of GiB");
    expect(() => synth({ sizeGiB: 1.5 })).toThrow("got 1.5");
  });

  test("fails when a client is listed twice", () => {
    expect(() => synth({ accessCidrs: ["10.0.3.0/24", "10.0.3.0/24"] })).toThrow(
      "FileShare accessCidrs lists 10.0.3.0/24 twice",
    );
  });
});
