// sys/queue.h LIST semantics (insert at head, insert after, O(1) remove), because the
// order the kernel walks children, process-group members and allproc is observable:
// kern_wait reaps the first zombie it meets, and exit1 reparents in list order.

export interface ListNode<T> {
  readonly value: T;
  next: ListNode<T> | null;
  prev: ListNode<T> | null;
  list: List<T> | null;
}

export class List<T> {
  first: ListNode<T> | null = null;
  length = 0;

  /** LIST_INSERT_HEAD */
  insertHead(value: T): ListNode<T> {
    const n: ListNode<T> = { value, next: this.first, prev: null, list: this };
    if (this.first) this.first.prev = n;
    this.first = n;
    this.length++;
    return n;
  }

  /** LIST_INSERT_AFTER */
  insertAfter(after: ListNode<T>, value: T): ListNode<T> {
    if (after.list !== this) throw new Error("List.insertAfter: node is not on this list");
    const n: ListNode<T> = { value, next: after.next, prev: after, list: this };
    if (after.next) after.next.prev = n;
    after.next = n;
    this.length++;
    return n;
  }

  /** LIST_REMOVE */
  remove(n: ListNode<T>): void {
    if (n.list !== this) throw new Error("List.remove: node is not on this list");
    if (n.prev) n.prev.next = n.next; else this.first = n.next;
    if (n.next) n.next.prev = n.prev;
    n.next = n.prev = null;
    n.list = null;
    this.length--;
  }

  [Symbol.iterator](): IterableIterator<T> { return new ListIterator(this.first); }

  toArray(): T[] { return [...this]; }
}

/**
 * The walk of a List: a plain iterator rather than a generator, which V8 makes and runs
 * several times faster (kern_wait walks the children on every wait).
 */
class ListIterator<T> implements IterableIterator<T> {
  constructor(private n: ListNode<T> | null) {}
  next(): IteratorResult<T> {
    const n = this.n;
    if (!n) return { done: true, value: undefined };
    this.n = n.next; // taken now: the loop body may remove n
    return { done: false, value: n.value };
  }
  [Symbol.iterator](): IterableIterator<T> { return this; }
}
