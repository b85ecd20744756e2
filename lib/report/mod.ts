/**
 * The report layer: results schema and files, the HTML report builder, and
 * the pinned-vs-fresh comparison. Experiments import from here.
 *
 * @module
 */

export * from "./compare.ts";
export * from "./environment.ts";
export * from "./escape.ts";
export * from "./figure.ts";
export * from "./figures.ts";
export * from "./html.ts";
export * from "./index_page.ts";
export * from "./readme_table.ts";
export * from "./results.ts";
export * from "./scorecard.ts";
export * from "./summary.ts";
export * from "./table.ts";
export * from "./write.ts";
