// Declares the cdktf matchers on jest's expect.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { synthStack } from "../support/synth";
import { BlockstorageQosAssociationV3 } from "../../.gen/providers/openstack/blockstorage-qos-association-v3";
import { BlockstorageQosV3 } from "../../.gen/providers/openstack/blockstorage-qos-v3";
import { BlockstorageVolumeTypeV3 } from "../../.gen/providers/openstack/blockstorage-volume-type-v3";
import { BlockStorage } from "../../constructs/block-storage";
import { ObjectStorage } from "../../constructs/object-storage";
import type { SwiftContainerModel, VolumeBackendModel } from "../../model/types";
import { CORE_SERVICES, load, variant } from "../support/fixtures";
import { schemaProblems } from "../support/provider-schema";

Testing.setupJest();

const model = load(
  variant((s) => {
    s.controlPlane.services = [...CORE_SERVICES, "cinder"];
    s.storage = {
      ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
      backends: [
        {
          name: "rbd-ssd",
          kind: "ceph",
          volumeType: "fast",
          qos: { readIopsSec: 20000, writeIopsSec: 10000, totalBytesSec: 524288000 },
        },
        {
          name: "zfs-gold",
          kind: "zfs",
          volumeType: "gold",
          deviceClass: "ssd",
          qos: { writeIopsSec: 5000 },
        },
        { name: "lvm-local", kind: "lvm", volumeType: "local", deviceClass: "hdd" },
      ],
    };
  }),
).model;

const synth = synthStack;

describe("BlockStorage QoS", () => {
  // WHEN
  const out = synth((s) => new BlockStorage(s, "bs", { backends: model.storage.backends }));
  const json = JSON.parse(out);

  test("creates front-end QoS specs with the declared limits as strings", () => {
    // THEN
    expect(out).toHaveResourceWithProperties(BlockstorageQosV3, {
      name: "rbd-ssd-qos",
      consumer: "front-end",
      specs: { read_iops_sec: "20000", write_iops_sec: "10000", total_bytes_sec: "524288000" },
    });
    expect(out).toHaveResourceWithProperties(BlockstorageQosV3, {
      name: "zfs-gold-qos",
      specs: { write_iops_sec: "5000" },
    });
  });

  test("associates each QoS spec with its backend's volume type only", () => {
    expect(Object.keys(json.resource.openstack_blockstorage_qos_v3)).toHaveLength(2);
    const associations = Object.values(json.resource.openstack_blockstorage_qos_association_v3) as {
      qos_id: string;
      volume_type_id: string;
    }[];
    expect(associations).toHaveLength(2);
    expect(out).toHaveResourceWithProperties(BlockstorageQosAssociationV3, {
      qos_id: expect.stringMatching(/openstack_blockstorage_qos_v3\.bs_rbd-ssd_Qos/),
      volume_type_id: expect.stringMatching(/openstack_blockstorage_volume_type_v3\.bs_rbd-ssd_/),
    });
  });

  test("keeps the volume types and their addresses as before", () => {
    expect(out).toHaveResourceWithProperties(BlockstorageVolumeTypeV3, {
      name: "local",
      extra_specs: { volume_backend_name: "lvm-local" },
    });
    expect(Object.keys(json.resource.openstack_blockstorage_volume_type_v3)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^bs_rbd-ssd_[0-9A-F]{8}$/)]),
    );
  });

  test("emits only attributes of provider v3.4.0", () => {
    expect(schemaProblems(json)).toEqual([]);
  });

  test("fails when a backend declares qos without any limit", () => {
    const lvm = model.storage.backends.find((b) => b.name === "lvm-local") as VolumeBackendModel;
    const backend: VolumeBackendModel = { ...lvm, qos: {} };
    expect(() => synth((s) => new BlockStorage(s, "bs", { backends: [backend] }))).toThrow(
      "backend lvm-local declares qos without a limit",
    );
  });
});

describe("ObjectStorage accounts", () => {
  const container = (c: Partial<SwiftContainerModel>): SwiftContainerModel => ({
    name: "img",
    purpose: "images",
    account: "each-tenant",
    public: false,
    versioning: false,
    readers: [],
    writers: [],
    ...c,
  });

  test("creates only the platform's containers: Glance and each tenant's cinder-backup create theirs", () => {
    // GIVEN backups live in each tenant's account (cinder-backup per_user), images in Glance's
    const containers = [
      container({ name: "glance-images" }),
      container({ name: "volumebackups", purpose: "backups", account: "each-tenant" }),
      container({ name: "www", purpose: "application", account: "platform" }),
    ];
    // WHEN
    const out = synth((s) => new ObjectStorage(s, "os", { containers }));
    // THEN an admin-credential container would land in the admin project's account
    const created = Object.values(
      JSON.parse(out).resource.openstack_objectstorage_container_v1,
    ).map((c) => (c as { name: string }).name);
    expect(created).toEqual(["www"]);
    expect(schemaProblems(JSON.parse(out))).toEqual([]);
  });

  test("fails when asked for a container it does not have", () => {
    let storage: ObjectStorage | undefined;
    synth((s) => (storage = new ObjectStorage(s, "os", { containers: [] })));
    expect(() => storage?.container("constructor")).toThrow(
      'ObjectStorage has no container "constructor"',
    );
  });
});
