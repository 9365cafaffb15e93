/*
 * Stand-in for miniaudio.h, used only to build Ollama from its Go module for the tests
 * (test/providers/build-ollama.sh). The module zip leaves out llama.cpp's vendored headers; this
 * declares just what llama.cpp's mtmd-helper uses to decode audio input, and every decode fails,
 * so audio prompts are refused. Text models (Gemma 3 1B) never use it.
 */
#ifndef CORRECTLY_MINIAUDIO_STUB_H
#define CORRECTLY_MINIAUDIO_STUB_H
#include <stddef.h>

typedef int ma_result;
typedef unsigned long long ma_uint64;
typedef unsigned int ma_uint32;
typedef enum { ma_format_unknown = 0, ma_format_f32 = 5 } ma_format;
#define MA_SUCCESS 0
#define MA_NOT_IMPLEMENTED -29

typedef struct { ma_format format; ma_uint32 channels; ma_uint32 sampleRate; } ma_decoder_config;
typedef struct { int unused; } ma_decoder;

static inline ma_decoder_config ma_decoder_config_init(ma_format format, ma_uint32 channels, ma_uint32 sampleRate) {
  ma_decoder_config c = { format, channels, sampleRate };
  return c;
}
static inline ma_result ma_decoder_init_memory(const void *data, size_t size, const ma_decoder_config *config, ma_decoder *decoder) {
  (void)data; (void)size; (void)config; (void)decoder;
  return MA_NOT_IMPLEMENTED;
}
static inline ma_result ma_decoder_get_length_in_pcm_frames(ma_decoder *decoder, ma_uint64 *length) {
  (void)decoder; *length = 0;
  return MA_NOT_IMPLEMENTED;
}
static inline ma_result ma_decoder_read_pcm_frames(ma_decoder *decoder, void *out, ma_uint64 frameCount, ma_uint64 *framesRead) {
  (void)decoder; (void)out; (void)frameCount; *framesRead = 0;
  return MA_NOT_IMPLEMENTED;
}
static inline ma_result ma_decoder_uninit(ma_decoder *decoder) {
  (void)decoder;
  return MA_SUCCESS;
}
#endif
