/** The views the sidebar switches between; later issues add Library and Settings. */
export type View = 'chat' | 'models';

/** The Models screen's tabs. */
export type ModelsTab = 'installed' | 'discover';
