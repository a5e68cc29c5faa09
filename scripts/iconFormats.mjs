/**
 * The two icon containers, both holding PNG images as they are: Apple's ICNS and Windows' ICO
 * (PNG entries are valid in ICO since Windows Vista). Also read back by the packaging test.
 */
import { Buffer } from 'node:buffer';

/** Every size rendered from the SVG. */
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

/** ICNS entry types and their pixel sizes (the @2x types hold the doubled size). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/** @param {[string, Buffer][]} entries */
export function packIcns(entries) {
  const parts = entries.map(([type, png]) => {
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([header, png]);
  });
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([header, body]);
}

/** @param {[number, Buffer][]} entries */
export function packIco(entries) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(entries.length, 4);
  const directory = Buffer.alloc(16 * entries.length);
  let offset = header.length + directory.length;
  entries.forEach(([size, png], index) => {
    const at = index * 16;
    directory.writeUInt8(size >= 256 ? 0 : size, at); // 0 means 256
    directory.writeUInt8(size >= 256 ? 0 : size, at + 1);
    directory.writeUInt8(0, at + 2); // no palette
    directory.writeUInt8(0, at + 3);
    directory.writeUInt16LE(1, at + 4); // colour planes
    directory.writeUInt16LE(32, at + 6); // bits per pixel
    directory.writeUInt32LE(png.length, at + 8);
    directory.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, directory, ...entries.map(([, png]) => png)]);
}

/** Width and height from a PNG's IHDR chunk. @param {Buffer} png */
export function pngSize(png) {
  const signature = '89504e470d0a1a0a';
  if (png.subarray(0, 8).toString('hex') !== signature || png.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The entries of an ICNS file. @param {Buffer} file */
export function readIcns(file) {
  if (file.toString('ascii', 0, 4) !== 'icns') throw new Error('not an ICNS file');
  const entries = [];
  for (let at = 8; at < file.length;) {
    const type = file.toString('ascii', at, at + 4);
    const length = file.readUInt32BE(at + 4);
    entries.push({ type, data: file.subarray(at + 8, at + length) });
    at += length;
  }
  return entries;
}

/** The entries of an ICO file (declared size and image data). @param {Buffer} file */
export function readIco(file) {
  if (file.readUInt16LE(2) !== 1) throw new Error('not an ICO file');
  const count = file.readUInt16LE(4);
  const entries = [];
  for (let index = 0; index < count; index++) {
    const at = 6 + index * 16;
    const size = file.readUInt8(at) || 256;
    const length = file.readUInt32LE(at + 8);
    const offset = file.readUInt32LE(at + 12);
    entries.push({ size, data: file.subarray(offset, offset + length) });
  }
  return entries;
}
