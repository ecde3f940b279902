/** The public Hugging Face Hub: the endpoint when HF_ENDPOINT is not set, for the trainer and every runtime. */
export const PUBLIC_HUB_URL = 'https://huggingface.co';
