// Depthwise 2-D convolution on the CPU (NCHW, float32, no dilation), forward and backward.
//
// Paddle 3.3's own CPU depthwise kernel runs at about 1.5 GFLOP/s (its backward at well under
// that), which made it the largest cost of training MobileNetV3 on a CPU. These loops keep the
// innermost loop contiguous along a row, so the compiler vectorises it, and split the work over
// (image, channel) planes with OpenMP. The arithmetic is the convolution's own:
//   out[n, c, oh, ow] = sum_{kh, kw} x[n, c, oh * sh - ph + kh, ow * sw - pw + kw] * w[c, 0, kh, kw]
#include <omp.h>

#include <algorithm>
#include <vector>

#include "paddle/extension.h"

namespace {

struct Geometry {
  int64_t n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw;
};

Geometry geometry_of(const paddle::Tensor& x, const paddle::Tensor& weight, const std::vector<int>& strides,
                     const std::vector<int>& paddings) {
  PD_CHECK(x.shape().size() == 4, "depthwise_conv2d: x must be NCHW");
  PD_CHECK(weight.shape().size() == 4 && weight.shape()[1] == 1, "depthwise_conv2d: weight must be [C, 1, KH, KW]");
  PD_CHECK(weight.shape()[0] == x.shape()[1], "depthwise_conv2d: one filter per channel");
  Geometry g;
  g.n = x.shape()[0]; g.c = x.shape()[1]; g.h = x.shape()[2]; g.w = x.shape()[3];
  g.kh = weight.shape()[2]; g.kw = weight.shape()[3];
  g.sh = strides[0]; g.sw = strides[1]; g.ph = paddings[0]; g.pw = paddings[1];
  g.oh = (g.h + 2 * g.ph - g.kh) / g.sh + 1;
  g.ow = (g.w + 2 * g.pw - g.kw) / g.sw + 1;
  return g;
}

// the output columns ow whose input column ow * sw - pw + kw lies inside [0, w)
inline void column_range(const Geometry& g, int64_t kw, int64_t* first, int64_t* last) {
  int64_t lo = g.pw - kw;  // ow * sw >= lo
  *first = lo <= 0 ? 0 : (lo + g.sw - 1) / g.sw;
  int64_t hi = g.w - 1 + g.pw - kw;  // ow * sw <= hi
  *last = hi < 0 ? -1 : std::min(g.ow - 1, hi / g.sw);
}

}  // namespace

std::vector<paddle::Tensor> DepthwiseForward(const paddle::Tensor& x, const paddle::Tensor& weight,
                                             const std::vector<int>& strides, const std::vector<int>& paddings) {
  PD_CHECK(x.is_cpu() && x.dtype() == paddle::DataType::FLOAT32, "depthwise_conv2d: CPU float32 only");
  const Geometry g = geometry_of(x, weight, strides, paddings);
  auto out = paddle::zeros({g.n, g.c, g.oh, g.ow}, paddle::DataType::FLOAT32, paddle::CPUPlace());
  const float* in = x.data<float>();
  const float* wt = weight.data<float>();
  float* o = out.data<float>();
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < g.n * g.c; ++plane) {
    const int64_t c = plane % g.c;
    const float* src = in + plane * g.h * g.w;
    const float* k = wt + c * g.kh * g.kw;
    float* dst = o + plane * g.oh * g.ow;
    for (int64_t y = 0; y < g.oh; ++y) {
      float* row = dst + y * g.ow;
      for (int64_t i = 0; i < g.kh; ++i) {
        const int64_t iy = y * g.sh - g.ph + i;
        if (iy < 0 || iy >= g.h) continue;
        const float* srow = src + iy * g.w;
        for (int64_t j = 0; j < g.kw; ++j) {
          int64_t first, last;
          column_range(g, j, &first, &last);
          const float kv = k[i * g.kw + j];
          const float* s = srow - g.pw + j;
          if (g.sw == 1) {
            for (int64_t x0 = first; x0 <= last; ++x0) row[x0] += kv * s[x0];
          } else {
            for (int64_t x0 = first; x0 <= last; ++x0) row[x0] += kv * s[x0 * g.sw];
          }
        }
      }
    }
  }
  return {out};
}

std::vector<paddle::Tensor> DepthwiseBackward(const paddle::Tensor& x, const paddle::Tensor& weight,
                                              const paddle::Tensor& grad_out, const std::vector<int>& strides,
                                              const std::vector<int>& paddings) {
  const Geometry g = geometry_of(x, weight, strides, paddings);
  auto grad_x = paddle::zeros({g.n, g.c, g.h, g.w}, paddle::DataType::FLOAT32, paddle::CPUPlace());
  auto grad_w = paddle::zeros({g.c, 1, g.kh, g.kw}, paddle::DataType::FLOAT32, paddle::CPUPlace());
  const float* in = x.data<float>();
  const float* wt = weight.data<float>();
  const float* go = grad_out.data<float>();
  float* gx = grad_x.data<float>();
  float* gw = grad_w.data<float>();
  // the input gradient scatters each output gradient back along the taps (planes are independent)
#pragma omp parallel for schedule(static)
  for (int64_t plane = 0; plane < g.n * g.c; ++plane) {
    const int64_t c = plane % g.c;
    const float* k = wt + c * g.kh * g.kw;
    const float* gsrc = go + plane * g.oh * g.ow;
    float* dst = gx + plane * g.h * g.w;
    for (int64_t y = 0; y < g.oh; ++y) {
      const float* grow = gsrc + y * g.ow;
      for (int64_t i = 0; i < g.kh; ++i) {
        const int64_t iy = y * g.sh - g.ph + i;
        if (iy < 0 || iy >= g.h) continue;
        float* drow = dst + iy * g.w;
        for (int64_t j = 0; j < g.kw; ++j) {
          int64_t first, last;
          column_range(g, j, &first, &last);
          const float kv = k[i * g.kw + j];
          float* d = drow - g.pw + j;
          if (g.sw == 1) {
            for (int64_t x0 = first; x0 <= last; ++x0) d[x0] += kv * grow[x0];
          } else {
            for (int64_t x0 = first; x0 <= last; ++x0) d[x0 * g.sw] += kv * grow[x0];
          }
        }
      }
    }
  }
  // the weight gradient of a channel sums over its images and positions (channels are independent)
#pragma omp parallel for schedule(static)
  for (int64_t c = 0; c < g.c; ++c) {
    float* k = gw + c * g.kh * g.kw;
    for (int64_t n = 0; n < g.n; ++n) {
      const int64_t plane = n * g.c + c;
      const float* src = in + plane * g.h * g.w;
      const float* gsrc = go + plane * g.oh * g.ow;
      for (int64_t i = 0; i < g.kh; ++i) {
        for (int64_t j = 0; j < g.kw; ++j) {
          int64_t first, last;
          column_range(g, j, &first, &last);
          double acc = 0.0;
          for (int64_t y = 0; y < g.oh; ++y) {
            const int64_t iy = y * g.sh - g.ph + i;
            if (iy < 0 || iy >= g.h) continue;
            const float* s = src + iy * g.w - g.pw + j;
            const float* grow = gsrc + y * g.ow;
            float part = 0.f;
            if (g.sw == 1) {
#pragma omp simd reduction(+ : part)
              for (int64_t x0 = first; x0 <= last; ++x0) part += grow[x0] * s[x0];
            } else {
#pragma omp simd reduction(+ : part)
              for (int64_t x0 = first; x0 <= last; ++x0) part += grow[x0] * s[x0 * g.sw];
            }
            acc += part;
          }
          k[i * g.kw + j] += static_cast<float>(acc);
        }
      }
    }
  }
  return {grad_x, grad_w};
}

std::vector<std::vector<int64_t>> DepthwiseInferShape(const std::vector<int64_t>& x, const std::vector<int64_t>& w,
                                                      const std::vector<int>& strides,
                                                      const std::vector<int>& paddings) {
  return {{x[0], x[1], x[2] < 0 ? -1 : (x[2] + 2 * paddings[0] - w[2]) / strides[0] + 1,
           x[3] < 0 ? -1 : (x[3] + 2 * paddings[1] - w[3]) / strides[1] + 1}};
}

std::vector<paddle::DataType> DepthwiseInferDtype(const paddle::DataType& x, const paddle::DataType& w) {
  return {x};
}

PD_BUILD_OP(ppocr_depthwise_conv2d)
    .Inputs({"X", "W"})
    .Outputs({"Out"})
    .Attrs({"strides: std::vector<int>", "paddings: std::vector<int>"})
    .SetKernelFn(PD_KERNEL(DepthwiseForward))
    .SetInferShapeFn(PD_INFER_SHAPE(DepthwiseInferShape))
    .SetInferDtypeFn(PD_INFER_DTYPE(DepthwiseInferDtype));

PD_BUILD_GRAD_OP(ppocr_depthwise_conv2d)
    .Inputs({"X", "W", paddle::Grad("Out")})
    .Outputs({paddle::Grad("X"), paddle::Grad("W")})
    .Attrs({"strides: std::vector<int>", "paddings: std::vector<int>"})
    .SetKernelFn(PD_KERNEL(DepthwiseBackward));
