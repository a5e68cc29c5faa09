export {
  buildSplitTestModel,
  buildTestModel,
  ensureTestModel,
  testModelCacheDir,
  writeSplitTestModel,
  writeTestModel,
  TEST_MODEL_GENERATOR_VERSION,
} from './testModel.js';
export type { TestModelOptions } from './testModel.js';
export { writeNotAGguf, writeTruncatedCopy } from './badFiles.js';
export { encodeGguf, type GgufTensor, type GgufValue } from './GgufWriter.js';
export { PUNCTUATION, WORDS } from './vocabulary.js';
export { buildTestRerankerModel, ensureTestRerankerModel, RERANK_TEST_WORD } from './rerankerModel.js';
export {
  buildScriptedModel,
  ensureScriptedModel,
  THINKING_TEMPLATE,
  type ScriptedModelOptions,
} from './scriptedModel.js';
export { KEEPER_ANSWER, KEEPER_SCRIPT, KEEPER_THOUGHT } from './keeperScript.js';
