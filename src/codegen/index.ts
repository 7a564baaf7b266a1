// Code generation of TypeScript typings from registry schemas (the cloudcontrol-codegen command and the build step).
export { renderResourceTypes, identifier, SchemaDocument } from "./render";
export { renderAugmentation, renderBundledModules, serviceModuleName, AugmentationOptions, PACKAGE_MODULE } from "./modules";
export { generateBundledTypes, GenerateResult } from "./bundled";
export { generateTypings, parseCodegenArgs, CodegenArgs, main, usage } from "./cli";
