/** The views the sidebar switches between; a later issue adds Settings. */
export type View = 'chat' | 'models' | 'library';
