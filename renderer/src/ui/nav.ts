/** The views the sidebar switches between. */
export type View = 'chat' | 'models' | 'library' | 'settings';

/** The Models screen's tabs. */
export type ModelsTab = 'installed' | 'discover';
