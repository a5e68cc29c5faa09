/** A short quantization label ("Q4_K_M", "F16") for a GGUF file, from its header. */
import { GgmlType, GgufFileType, type GgufFileInfo } from 'node-llama-cpp';

export function quantizationOf(info: GgufFileInfo): string | undefined {
  const fileType = info.metadata.general?.file_type;
  if (typeof fileType === 'number') {
    const name = GgufFileType[fileType] as string | undefined;
    if (name) return name.replace(/^(MOSTLY|ALL)_/, '');
  }
  // Older files have no general.file_type: name the type that holds most of the weights.
  const elementsByType = new Map<number, number>();
  for (const tensor of info.fullTensorInfo ?? []) {
    let elements = 1;
    for (const dim of tensor.dimensions) elements *= Number(dim);
    elementsByType.set(tensor.ggmlType, (elementsByType.get(tensor.ggmlType) ?? 0) + elements);
  }
  let dominant: number | undefined;
  for (const [type, elements] of elementsByType) {
    if (dominant === undefined || elements > (elementsByType.get(dominant) ?? 0)) dominant = type;
  }
  return dominant === undefined ? undefined : (GgmlType[dominant] as string | undefined);
}
