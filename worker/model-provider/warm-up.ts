/**
 * A few predictions before the first request: the featurizer's and ORT's code paths get compiled
 * and ORT's buffers allocated, so the first request costs what any request costs. Run where the
 * start-up is paid (workerd's global scope, the Node server before it listens).
 */
import type { SentimentModel } from '../../shared/sentiment-model';

const TEXTS = ['warming up the model', 'I love this, best day ever! :) #happy', "the worst service, not good at all @user http://t.co/x", 'The meeting is at 3pm on Tuesday.'];

export async function warmUpModel(model: Pick<SentimentModel, 'predict' | 'predictOne'>, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await model.predict(TEXTS);
  for (const text of TEXTS) await model.predictOne(text);
}
