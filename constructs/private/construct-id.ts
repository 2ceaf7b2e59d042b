// Construct ids come from the shared naming layer, so the model can name resources too.
export { stableId, stableIdOf } from "../../core/naming";
