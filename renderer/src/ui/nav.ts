/** The views the sidebar switches between. */
export type View = 'chat' | 'models' | 'library' | 'settings';
