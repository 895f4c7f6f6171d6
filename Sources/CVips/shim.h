// Why this file exists: libvips operations are C variadic functions
// (name/value option lists ending in NULL), which Swift refuses to call.
// Each wrapper below fixes one option list; nothing else lives here.
// Only KeepersImaging imports this module.
#ifndef KEEPERS_CVIPS_SHIM_H
#define KEEPERS_CVIPS_SHIM_H
#include <vips/vips.h>

// Header-only open of an encoded image: the loader reads metadata
// (size, bands, orientation, ICC profile) and decodes no pixels yet.
static inline VipsImage *kp_header_from_buffer(const void *buf, size_t len) {
    return vips_image_new_from_buffer(buf, len, "", "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
}

// Shrink-on-load thumbnail into a width x height box, cropping the centre
// so the box is filled exactly. option_string goes to the loader
// (thumbnail_buffer ignores a direct fail_on in libvips 8.14).
// export_profile may be NULL: then no colour transform is run.
static inline int kp_thumbnail_buffer(void *buf, size_t len, VipsImage **out,
                                      int width, int height, const char *option_string,
                                      const char *export_profile) {
    if (export_profile)
        return vips_thumbnail_buffer(buf, len, out, width, "height", height,
                                     "crop", VIPS_INTERESTING_CENTRE, "size", VIPS_SIZE_BOTH,
                                     "option_string", option_string,
                                     "export_profile", export_profile, NULL);
    return vips_thumbnail_buffer(buf, len, out, width, "height", height,
                                 "crop", VIPS_INTERESTING_CENTRE, "size", VIPS_SIZE_BOTH,
                                 "option_string", option_string, NULL);
}

// JPEG decoded in the DCT domain at 1/shrink size (shrink 1, 2, 4 or 8):
// libjpeg skips most of the inverse DCT work, the big saving on camera
// photos. Sequential access: the resize reads it top to bottom once.
static inline int kp_jpegload_buffer(void *buf, size_t len, VipsImage **out, int shrink) {
    return vips_jpegload_buffer(buf, len, out, "shrink", shrink, "fail_on", VIPS_FAIL_ON_TRUNCATED,
                                "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

// The same resize, crop, rotation and colour handling as kp_thumbnail_buffer,
// on an image already loaded (at a reduced scale): no shrink-on-load here.
static inline int kp_thumbnail_image(VipsImage *in, VipsImage **out, int width, int height,
                                     const char *export_profile) {
    if (export_profile)
        return vips_thumbnail_image(in, out, width, "height", height,
                                    "crop", VIPS_INTERESTING_CENTRE, "size", VIPS_SIZE_BOTH,
                                    "export_profile", export_profile, NULL);
    return vips_thumbnail_image(in, out, width, "height", height,
                                "crop", VIPS_INTERESTING_CENTRE, "size", VIPS_SIZE_BOTH, NULL);
}

static inline int kp_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space) {
    return vips_colourspace(in, out, space, NULL);
}

static inline int kp_icc_transform(VipsImage *in, VipsImage **out, const char *profile) {
    return vips_icc_transform(in, out, profile, "embedded", TRUE, NULL);
}

static inline int kp_flatten(VipsImage *in, VipsImage **out, double r, double g, double b) {
    double bg[3] = {r, g, b};
    VipsArrayDouble *arr = vips_array_double_new(bg, 3);
    int rc = vips_flatten(in, out, "background", arr, NULL);
    vips_area_unref(VIPS_AREA(arr));
    return rc;
}

static inline int kp_cast_uchar(VipsImage *in, VipsImage **out) {
    return vips_cast(in, out, VIPS_FORMAT_UCHAR, NULL);
}

static inline int kp_extract_bands(VipsImage *in, VipsImage **out, int first, int n) {
    return vips_extract_band(in, out, first, "n", n, NULL);
}

static inline int kp_bandjoin3(VipsImage *a, VipsImage **out) {
    VipsImage *in[3] = {a, a, a};
    return vips_bandjoin(in, out, 3, NULL);
}

static inline int kp_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height) {
    return vips_extract_area(in, out, left, top, width, height, NULL);
}

static inline int kp_pngsave(VipsImage *in, const char *filename, int compression) {
    return vips_pngsave(in, filename, "compression", compression, "filter", VIPS_FOREIGN_PNG_FILTER_NONE,
                        "strip", TRUE, NULL);
}

static inline int kp_pngsave_buffer(VipsImage *in, void **buf, size_t *len, int compression) {
    return vips_pngsave_buffer(in, buf, len, "compression", compression,
                               "filter", VIPS_FOREIGN_PNG_FILTER_NONE, "strip", TRUE, NULL);
}

static inline int kp_jpegsave_buffer(VipsImage *in, void **buf, size_t *len, int quality) {
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, NULL);
}

static inline int kp_gaussblur(VipsImage *in, VipsImage **out, double sigma) {
    return vips_gaussblur(in, out, sigma, NULL);
}

static inline int kp_rot(VipsImage *in, VipsImage **out, VipsAngle angle) {
    return vips_rot(in, out, angle, NULL);
}

static inline int kp_resize(VipsImage *in, VipsImage **out, double scale) {
    return vips_resize(in, out, scale, NULL);
}

static inline int kp_file_load(const char *filename, VipsImage **out) {
    *out = vips_image_new_from_file(filename, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    return *out ? 0 : -1;
}

// Loader name (e.g. "VipsForeignLoadJpegBuffer") chosen by content sniffing.
static inline const char *kp_find_load_buffer(const void *buf, size_t len) {
    return vips_foreign_find_load_buffer(buf, len);
}

// Encoders used by the sample generator and the tests' fixtures.
static inline int kp_save_buffer(VipsImage *in, const char *suffix, void **buf, size_t *len, int quality) {
    return vips_image_write_to_buffer(in, suffix, buf, len, "Q", quality, NULL);
}

static inline int kp_save_buffer_plain(VipsImage *in, const char *suffix, void **buf, size_t *len) {
    return vips_image_write_to_buffer(in, suffix, buf, len, NULL);
}

static inline int kp_bandjoin(VipsImage *a, VipsImage *b, VipsImage **out) {
    return vips_bandjoin2(a, b, out, NULL);
}

// A new header over the same pixels, so metadata can be set privately.
static inline int kp_copy(VipsImage *in, VipsImage **out) {
    return vips_copy(in, out, NULL);
}

static inline int kp_svgload_buffer(void *buf, size_t len, VipsImage **out, double scale) {
    return vips_svgload_buffer(buf, len, out, "scale", scale, NULL);
}

// Report figures.

// Resizes to exactly width x height (aspect not kept; the caller computes a
// box that keeps it). Upsizes too. Images made from memory carry no ICC
// profile, so no colour transform runs.
static inline int kp_thumbnail_image_force(VipsImage *in, VipsImage **out, int width, int height) {
    return vips_thumbnail_image(in, out, width, "height", height, "size", VIPS_SIZE_FORCE, NULL);
}

// Renders text (Pango markup) as a one-band 8-bit coverage mask:
// 0 = background, 255 = fully inked.
static inline int kp_text(VipsImage **out, const char *markup, const char *font, int dpi) {
    return vips_text(out, markup, "font", font, "dpi", dpi, NULL);
}

// RAW photos (PhotoPreprocessor+Raw.swift).

// As kp_thumbnail_buffer, without EXIF auto-rotation: a RAW file's embedded
// preview is turned by the RAW's own orientation instead.
static inline int kp_thumbnail_buffer_unrotated(void *buf, size_t len, VipsImage **out, int width, int height) {
    return vips_thumbnail_buffer(buf, len, out, width, "height", height,
                                 "crop", VIPS_INTERESTING_CENTRE, "size", VIPS_SIZE_BOTH,
                                 "no_rotate", TRUE, "option_string", "fail_on=truncated", NULL);
}

#endif
