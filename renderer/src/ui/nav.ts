/** The views the sidebar switches between; a later issue adds Library. */
export type View = 'chat' | 'models' | 'settings';

/** The Models screen's tabs. */
export type ModelsTab = 'installed' | 'discover';
