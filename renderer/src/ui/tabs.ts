/** One tab of a Tabs strip. */
export interface TabItem {
  id: string;
  label: string;
  /** A small count or note after the label. */
  badge?: string | number;
}
