// Which paragraphs each AND node of a query tree matched: dense counters while matching, bits for the scoring after.
import type { QueryGroup, QueryNode, QueryTerm } from "./query-tree.js";

/**
 * The AND nodes of the query being evaluated, numbered in tree order. A leaf below ANDs counts for a paragraph
 * only where every one of them matched; {@link AndNodes.allMatched} answers that in the scoring loop.
 */
export class AndNodes {
  // Per paragraph: its last visit stamp, and the group stamp and count of children in a row that matched it.
  private readonly visitStamp: Int32Array;
  private readonly andStamp: Int32Array;
  private readonly andCount: Uint16Array;
  private stamp = 0;
  /** Bit j of `bits[j >>> 5][p]`: AND node j matched paragraph p. */
  private readonly bits: Uint32Array[] = [];
  private members: Int32Array[] = [];

  constructor(private readonly paragraphs: number) {
    this.visitStamp = new Int32Array(paragraphs);
    this.andStamp = new Int32Array(paragraphs);
    this.andCount = new Uint16Array(paragraphs);
  }

  /**
   * Matches every node of `nodes` (numbered by position; nested ones included). `visitLeaf` calls `each` for
   * every paragraph a leaf matched, repeats allowed.
   */
  match(nodes: readonly QueryGroup[], visitLeaf: (leaf: QueryTerm, each: (p: number) => void) => void): void {
    this.clear();
    const numbers = new Map(nodes.map((node, j) => [node, j]));
    const found = new Map<QueryGroup, Int32Array>();
    const visit = (node: QueryNode, each: (p: number) => void): void => {
      if ("term" in node) visitLeaf(node, each);
      else if (node.combineWith === "OR") for (const child of node.queries) visit(child, each);
      else for (const p of membersOf(node)) each(p);
    };
    const membersOf = (node: QueryGroup): Int32Array => {
      const known = found.get(node);
      if (known) return known;
      // ANDs below this one first: their counting would overwrite this one's.
      const nested = (child: QueryNode): void => {
        if ("term" in child) return;
        if (child.combineWith === "AND") membersOf(child);
        else for (const grandchild of child.queries) nested(grandchild);
      };
      for (const child of node.queries) nested(child);
      const list = this.intersect(node.queries, visit);
      found.set(node, list);
      this.setBits(numbers.get(node) as number, list);
      return list;
    };
    for (const node of nodes) membersOf(node);
  }

  /** Whether every AND node in `ands` matched paragraph `p`. */
  allMatched(ands: readonly number[], p: number): boolean {
    for (const j of ands) if ((((this.bits[j >>> 5] as Uint32Array)[p] as number) & (1 << (j & 31))) === 0) return false;
    return true;
  }

  /** The paragraphs every child matched, counted in one sweep per child. */
  private intersect(children: readonly QueryNode[], visit: (node: QueryNode, each: (p: number) => void) => void): Int32Array {
    const found: number[] = [];
    const group = this.nextStamp();
    children.forEach((child, ci) => {
      const last = ci === children.length - 1;
      const stamp = this.nextStamp();
      visit(child, (p) => {
        if (this.visitStamp[p] === stamp) return;
        this.visitStamp[p] = stamp;
        if (ci === 0) {
          this.andStamp[p] = group;
          this.andCount[p] = 1;
        } else if (this.andStamp[p] === group && this.andCount[p] === ci) {
          this.andCount[p] = ci + 1;
        } else {
          return;
        }
        if (last) found.push(p);
      });
    });
    return Int32Array.from(found);
  }

  /** A fresh stamp for the dense counters (restarting them long before they could wrap). */
  private nextStamp(): number {
    if (this.stamp >= 0x3fffffff) {
      this.visitStamp.fill(0);
      this.andStamp.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  private setBits(j: number, members: Int32Array): void {
    while (this.bits.length <= j >>> 5) this.bits.push(new Uint32Array(this.paragraphs));
    const bits = this.bits[j >>> 5] as Uint32Array;
    for (const p of members) bits[p] = (bits[p] as number) | (1 << (j & 31));
    this.members[j] = members;
  }

  /** Clears the bits the previous query set. */
  private clear(): void {
    this.members.forEach((members, j) => {
      const bits = this.bits[j >>> 5] as Uint32Array;
      for (const p of members) bits[p] = 0;
    });
    this.members = [];
  }
}
