// Types of values.js for the tests that call it directly.

export declare class Unknown {
  constructor(type?: number, data?: Uint8Array);
  readonly type: number;
  readonly data: Uint8Array;
}

/** A block of `terraform providers schema -json`. */
export interface SchemaBlock {
  attributes?: Record<string, { type: unknown; computed?: boolean; optional?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}

export interface Origin {
  readonly typeName: string;
  readonly hash: string;
}

export declare function decodeValue(dynamic: { msgpack?: Uint8Array; json?: Uint8Array }): any;
export declare function encodeValue(value: unknown): { msgpack: Buffer };
export declare function planObject(block: SchemaBlock, proposed: Record<string, any>): any;
export declare function applyObject(
  block: SchemaBlock,
  planned: Record<string, any>,
  where: Origin,
): any;
export declare function readObject(
  block: SchemaBlock,
  config: Record<string, any>,
  where: Origin,
): any;
export declare function fromState(block: SchemaBlock, json: Record<string, any>): any;
export declare function origin(typeName: string, value: unknown): Origin;
