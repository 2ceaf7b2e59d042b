// Types of handshake.js for the tests that start the stand-in.

export declare const MAGIC_COOKIE_KEY: string;
export declare const MAGIC_COOKIE_VALUE: string;
export declare const CORE_PROTOCOL_VERSION: number;
export declare const PROTOCOL_VERSION: number;
