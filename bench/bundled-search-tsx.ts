// The search code as tsx loads it, for comparison with the bundle (bench:request-cost --code tsx).
export { loadIndex } from "../worker/search/loaded-index.js";
export { search } from "../worker/search/search.js";
