// Types for iconFormats.mjs (read by the packaging test).
export const ICON_SIZES: number[];
export const ICNS_TYPES: [type: string, size: number][];
export const ICO_SIZES: number[];
export function packIcns(entries: [string, Buffer][]): Buffer;
export function packIco(entries: [number, Buffer][]): Buffer;
export function pngSize(png: Buffer): { width: number; height: number };
export function readIcns(file: Buffer): { type: string; data: Buffer }[];
export function readIco(file: Buffer): { size: number; data: Buffer }[];
