/** BSON element type bytes (bsonspec.org) the hand-written decoder and encoder read and write. */
export const DOUBLE = 0x01;
export const STRING = 0x02;
export const OBJECT = 0x03;
export const ARRAY = 0x04;
export const BINARY = 0x05;
export const OBJECT_ID = 0x07;
export const BOOLEAN = 0x08;
export const DATE = 0x09;
export const NULL = 0x0a;
export const INT32 = 0x10;
export const INT64 = 0x12;
