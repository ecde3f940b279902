/**
 * A few predictions before the first request: the featurizer's and ORT's code paths get compiled
 * and ORT's buffers allocated, so the first request costs what any request costs. Run where the
 * start-up is paid (workerd's global scope, the Node server before it listens).
 */
import type { SentimentModel } from '../../shared/sentiment-model';

const TEXTS = ['warming up the model', 'I love this, best day ever! :) #happy', "the worst service, not good at all @user http://t.co/x", 'The meeting is at 3pm on Tuesday.'];

/**
 * As long as a tweet gets (280 characters): the featurizer's counters grow here, not inside the
 * first request that brings a long text. Alone, once: in a batch it would widen every row.
 */
const LONG_TEXT =
  "Can't believe it's already December!! Spent the whole morning at the market with @user, the coffee was amazing but the queue wasn't :( Still, 10/10 would go again, the people there are so kind 😍🎄 #weekend #grateful https://t.co/abc123 http://example.com/photos?id=42 LOL...";

export async function warmUpModel(model: Pick<SentimentModel, 'predict' | 'predictOne'>, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await model.predict(TEXTS);
  for (const text of TEXTS) await model.predictOne(text);
  await model.predictOne(LONG_TEXT);
}
