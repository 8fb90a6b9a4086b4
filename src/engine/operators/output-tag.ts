// A typed name for a side output: operators emit to it, the DSL reads it back as a stream.
export class OutputTag<T> {
  readonly name: string;
  /** Carries T for the type checker only. */
  declare readonly __type?: T;

  constructor(name: string) {
    if (name === 'main' || name.length === 0)
      throw new RangeError(`Side output name '${name}' is reserved or empty`);
    this.name = name;
  }
}
