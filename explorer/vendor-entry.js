// Entry point for the explorer's single vendor bundle.
// Built by scripts/build-explorer.sh into app/static/explorer/vendor/vendor.js
// (esbuild --bundle --format=esm --minify). Re-export only what the app uses.
export { default as Sigma } from "sigma";
export { EdgeLineProgram, EdgeRectangleProgram, NodeCircleProgram } from "sigma/rendering";
export { default as Graph } from "graphology";
export { default as forceAtlas2 } from "graphology-layout-forceatlas2";
export { circular, random } from "graphology-layout";
export { toBlob as imageToBlob } from "@sigma/export-image";
export { createNodeBorderProgram } from "@sigma/node-border";
