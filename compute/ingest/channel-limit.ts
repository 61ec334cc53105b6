/**
 * The most channels one file may bring: each channel becomes a Data Array document with its own min/max pyramid and is
 * appended to separately, so the cost of an import grows with the count. 1024 covers the largest acquisition systems
 * in use (a few hundred channels) with room to spare, while a small hostile file (a 64 KiB CSV line of commas, a WAV
 * header saying 65,535) is refused instead of making tens of thousands of arrays.
 */
export const MAX_CHANNELS = 1024;
