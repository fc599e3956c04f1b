// CPU kernels for training MobileNetV3 in dygraph (float32, NCHW), forward and backward, split
// over the cores with OpenMP: the depthwise convolution and the hard-swish activation.
//
// Depthwise convolution (no dilation). Paddle 3.3's own CPU kernel runs at about 1.5 GFLOP/s (its
// backward at well under that), which made it the largest cost of training MobileNetV3 on a CPU.
// These loops keep the innermost loop contiguous along a row, so the compiler vectorises it, and
// split the work over (image, channel) planes. The arithmetic is the convolution's own:
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
  // the weight gradient of a channel sums over its images and positions (channels are independent);
  // each tap accumulates a row-wide vector of partial sums over every image and row (vertical adds,
  // which vectorise), reduced to one number once at the end: rows are short (the width of a text
  // line's feature map, 25-100), and a horizontal sum per row cost more than the row's products
#pragma omp parallel
  {
    std::vector<float> acc(static_cast<size_t>(g.ow));
#pragma omp for schedule(static)
    for (int64_t c = 0; c < g.c; ++c) {
      for (int64_t i = 0; i < g.kh; ++i) {
        for (int64_t j = 0; j < g.kw; ++j) {
          int64_t first, last;
          column_range(g, j, &first, &last);
          std::fill(acc.begin(), acc.end(), 0.f);
          float* a = acc.data();
          for (int64_t n = 0; n < g.n; ++n) {
            const int64_t plane = n * g.c + c;
            const float* src = in + plane * g.h * g.w - g.pw + j;
            const float* gsrc = go + plane * g.oh * g.ow;
            for (int64_t y = 0; y < g.oh; ++y) {
              const int64_t iy = y * g.sh - g.ph + i;
              if (iy < 0 || iy >= g.h) continue;
              const float* s = src + iy * g.w;
              const float* grow = gsrc + y * g.ow;
              if (g.sw == 1) {
#pragma omp simd
                for (int64_t x0 = first; x0 <= last; ++x0) a[x0] += grow[x0] * s[x0];
              } else {
                for (int64_t x0 = first; x0 <= last; ++x0) a[x0] += grow[x0] * s[x0 * g.sw];
              }
            }
          }
          double total = 0.0;
          for (int64_t x0 = first; x0 <= last; ++x0) total += a[x0];
          gw[c * g.kh * g.kw + i * g.kw + j] = static_cast<float>(total);
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

// Hard-swish: Howard et al., "Searching for MobileNetV3" (ICCV 2019), Sec. 5.2,
// h-swish(x) = x * ReLU6(x + 3) / 6. Paddle 3.3's CPU kernels for it run on one core (its
// backward 2-3x slower than its forward); MobileNetV3's later blocks apply it to every expanded
// feature map. The arithmetic, including the gradient at the kinks, is Paddle's own (threshold 6,
// scale 6, offset 3): d/dx = 0 for x + 3 <= 0, (2x + 3) / 6 between, 1 for x + 3 >= 6.

std::vector<paddle::Tensor> HardswishForward(const paddle::Tensor& x) {
  PD_CHECK(x.is_cpu() && x.dtype() == paddle::DataType::FLOAT32, "hardswish: CPU float32 only");
  auto out = paddle::empty(x.shape(), paddle::DataType::FLOAT32, paddle::CPUPlace());
  const float* in = x.data<float>();
  float* o = out.data<float>();
  const int64_t size = x.numel();
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < size; ++i) {
    const float v = in[i];
    o[i] = v * std::min(std::max(v + 3.f, 0.f), 6.f) / 6.f;
  }
  return {out};
}

std::vector<paddle::Tensor> HardswishBackward(const paddle::Tensor& x, const paddle::Tensor& grad_out) {
  auto grad_x = paddle::empty(x.shape(), paddle::DataType::FLOAT32, paddle::CPUPlace());
  const float* in = x.data<float>();
  const float* go = grad_out.data<float>();
  float* gx = grad_x.data<float>();
  const int64_t size = x.numel();
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < size; ++i) {
    const float v = in[i];
    const float shifted = v + 3.f;
    const float slope = shifted < 6.f ? (shifted > 0.f ? (2.f * v + 3.f) / 6.f : 0.f) : 1.f;
    gx[i] = go[i] * slope;
  }
  return {grad_x};
}

std::vector<std::vector<int64_t>> HardswishInferShape(const std::vector<int64_t>& x) { return {x}; }

std::vector<paddle::DataType> HardswishInferDtype(const paddle::DataType& x) { return {x}; }

PD_BUILD_OP(ppocr_hardswish)
    .Inputs({"X"})
    .Outputs({"Out"})
    .SetKernelFn(PD_KERNEL(HardswishForward))
    .SetInferShapeFn(PD_INFER_SHAPE(HardswishInferShape))
    .SetInferDtypeFn(PD_INFER_DTYPE(HardswishInferDtype));

PD_BUILD_GRAD_OP(ppocr_hardswish)
    .Inputs({"X", paddle::Grad("Out")})
    .Outputs({paddle::Grad("X")})
    .SetKernelFn(PD_KERNEL(HardswishBackward));

// The calling thread's team size for the kernels above, set in the OpenMP runtime they were linked
// with (ppocr.engine.replicas runs one model replica per core, each on one-thread kernels).
extern "C" void ppocr_set_num_threads(int threads) { omp_set_num_threads(threads > 0 ? threads : 1); }
