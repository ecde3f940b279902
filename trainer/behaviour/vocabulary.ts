/**
 * Word lists the behavioural templates fill in. Written for this project; kept apart from the
 * templates so a reader sees at a glance what the suite covers.
 */
export const POSITIVE_ADJECTIVES = ['good', 'great', 'excellent', 'amazing', 'wonderful', 'fantastic', 'nice', 'lovely', 'brilliant', 'awesome', 'perfect', 'pleasant', 'enjoyable', 'incredible', 'fun', 'beautiful', 'superb', 'impressive'];
export const NEGATIVE_ADJECTIVES = ['bad', 'terrible', 'awful', 'horrible', 'boring', 'disappointing', 'poor', 'lousy', 'rude', 'nasty', 'ugly', 'annoying', 'dreadful', 'frustrating', 'pathetic', 'miserable', 'weak', 'sad'];
export const NEUTRAL_ADJECTIVES = ['private', 'international', 'american', 'italian', 'new', 'old', 'daily', 'red', 'blue', 'digital', 'local', 'regular', 'public', 'commercial', 'short', 'long'];
export const POSITIVE_VERBS = ['like', 'love', 'enjoy', 'recommend', 'appreciate', 'admire', 'adore', 'value'];
export const NEGATIVE_VERBS = ['hate', 'dislike', 'regret', 'despise', 'dread', 'abhor', 'detest', 'resent'];
export const NEUTRAL_VERBS = ['see', 'find', 'book', 'visit', 'use', 'watch', 'take', 'order'];
export const NOUNS = ['flight', 'movie', 'phone', 'service', 'hotel', 'restaurant', 'book', 'game', 'song', 'show', 'car', 'food', 'team', 'app', 'airline', 'seat', 'crew', 'meal', 'concert', 'album'];
export const INTENSIFIERS = ['very', 'really', 'extremely', 'incredibly', 'so', 'truly', 'absolutely'];
export const REDUCERS = ['somewhat', 'a little', 'slightly', 'kind of', 'a bit'];

export const POSITIVE_EMOJI = ['😍', '😊', '❤️', '👍', '🎉', '😀', '😃', '🥰', '💕', '👏', '🙌', '😎', '🙂', '💯', '😄', '✨'];
export const NEGATIVE_EMOJI = ['😡', '😠', '😢', '😞', '👎', '💔', '😒', '😩', '😤', '🙁', '😭', '🤬', '😔', '😕'];

export const FIRST_NAMES = ['Mary', 'John', 'Ahmed', 'Priya', 'Carlos', 'Mei', 'Olga', 'James', 'Fatima', 'Luca', 'Aisha', 'Kenji', 'Sophie', 'Daniel', 'Emma', 'Omar', 'Grace', 'Pedro', 'Anna', 'David'];
export const LOCATIONS = ['Paris', 'Chicago', 'Lagos', 'Mumbai', 'Tokyo', 'Berlin', 'Toronto', 'Sydney', 'Cairo', 'Lima', 'Dublin', 'Seoul', 'Madrid', 'Boston', 'Nairobi', 'Denver', 'Oslo', 'Manila', 'Houston', 'Rome'];
