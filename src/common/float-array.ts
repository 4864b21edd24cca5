/** A copy of `a` with twice the room (for arrays indexed by a slot that only grows). */
export function doubled(a: Float64Array): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(a.length * 2);
  bigger.set(a);
  return bigger;
}
