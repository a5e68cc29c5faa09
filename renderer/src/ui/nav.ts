/** The views the sidebar switches between; later issues add Library and Settings. */
export type View = 'chat' | 'models';
