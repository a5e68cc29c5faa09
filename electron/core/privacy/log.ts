/**
 * The core's log. `info` lines are about the app itself (never prompts, answers, document text or
 * names); `debug` lines may carry those and are written only while the user has debug logging on
 * (Settings > Privacy). With no sink (the default), nothing is written anywhere.
 */
export interface CoreLog {
  info(line: string): void;
  /** May contain user content: dropped unless debug logging is on. */
  debug(line: string): void;
}

export function createCoreLog(sink: ((line: string) => void) | undefined, debugOn: () => boolean): CoreLog {
  return {
    info: (line) => sink?.(line),
    debug: (line) => {
      if (debugOn()) sink?.(`[debug] ${line}`);
    },
  };
}
