/** Every read-model document carries the `$all` position of the last event applied to it: the replay guard. */
export interface ReadModelDocument {
  readonly _id: string;
  readonly _position: number;
}
