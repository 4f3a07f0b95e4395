/*
 * dln_blas: a Node-API addon exposing the system OpenBLAS to dln-hessian's float64 kernel layer
 * (src/kernels/native-kernel.ts). Column-major, leading dimension = row count of the stored operand.
 *
 *   dgemm(transA, transB, m, n, k, alpha, A, B, beta, C)  C <- alpha op(A) op(B) + beta C
 *   dgemv(trans, m, n, alpha, A, x, beta, y)              y <- alpha op(A) x + beta y   (A is m x n)
 *   setThreads(n), getThreads(), config()
 *
 * The BLAS prototypes are declared here (CBLAS enum values fixed by the standard) so that the addon
 * does not depend on which cblas.h the system installs.
 */
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef NODE_GYP_MODULE_NAME
#define NODE_GYP_MODULE_NAME dln_blas
#endif

enum { CblasColMajor = 102, CblasNoTrans = 111, CblasTrans = 112 };
extern void cblas_dgemm(int order, int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
                        const double *b, int ldb, double beta, double *c, int ldc);
extern void cblas_dgemv(int order, int ta, int m, int n, double alpha, const double *a, int lda, const double *x,
                        int incx, double beta, double *y, int incy);
extern void openblas_set_num_threads(int n);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);

#define CHECK(env, call)                                                  \
  do {                                                                    \
    if ((call) != napi_ok) {                                              \
      napi_throw_error((env), NULL, "dln_blas: N-API call failed: " #call); \
      return NULL;                                                        \
    }                                                                     \
  } while (0)

static bool get_f64(napi_env env, napi_value v, double *out) { return napi_get_value_double(env, v, out) == napi_ok; }

static bool get_int(napi_env env, napi_value v, int *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) return false;
  if (!(d >= 0 && d <= 2147483647.0) || d != (double)(int)d) return false;
  *out = (int)d;
  return true;
}

/* A Float64Array argument with at least `need` elements. */
static bool get_array(napi_env env, napi_value v, size_t need, double **data) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  size_t length;
  void *ptr;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, &ptr, &ab, &offset) != napi_ok) return false;
  if (type != napi_float64_array || length < need) return false;
  *data = (double *)ptr;
  return true;
}

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static napi_value dgemm(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 10) return throw_type(env, "dgemm: expected 10 arguments");
  bool ta, tb;
  int m, n, k;
  double alpha, beta;
  double *a, *b, *c;
  if (napi_get_value_bool(env, argv[0], &ta) != napi_ok || napi_get_value_bool(env, argv[1], &tb) != napi_ok)
    return throw_type(env, "dgemm: transA and transB must be booleans");
  if (!get_int(env, argv[2], &m) || !get_int(env, argv[3], &n) || !get_int(env, argv[4], &k))
    return throw_type(env, "dgemm: m, n, k must be non-negative 32-bit integers");
  if (!get_f64(env, argv[5], &alpha) || !get_f64(env, argv[8], &beta)) return throw_type(env, "dgemm: alpha and beta must be numbers");
  if (!get_array(env, argv[6], (size_t)m * k, &a) || !get_array(env, argv[7], (size_t)k * n, &b) ||
      !get_array(env, argv[9], (size_t)m * n, &c))
    return throw_type(env, "dgemm: A, B, C must be Float64Arrays of at least m*k, k*n, m*n entries");
  if (m == 0 || n == 0) return NULL;
  int lda = ta ? k : m;
  int ldb = tb ? n : k;
  if (lda < 1) lda = 1;
  if (ldb < 1) ldb = 1;
  cblas_dgemm(CblasColMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb,
              beta, c, m);
  return NULL;
}

static napi_value dgemv(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) return throw_type(env, "dgemv: expected 8 arguments");
  bool t;
  int m, n;
  double alpha, beta;
  double *a, *x, *y;
  if (napi_get_value_bool(env, argv[0], &t) != napi_ok) return throw_type(env, "dgemv: trans must be a boolean");
  if (!get_int(env, argv[1], &m) || !get_int(env, argv[2], &n)) return throw_type(env, "dgemv: m, n must be non-negative 32-bit integers");
  if (!get_f64(env, argv[3], &alpha) || !get_f64(env, argv[6], &beta)) return throw_type(env, "dgemv: alpha and beta must be numbers");
  size_t lx = t ? (size_t)m : (size_t)n, ly = t ? (size_t)n : (size_t)m;
  if (!get_array(env, argv[4], (size_t)m * n, &a) || !get_array(env, argv[5], lx, &x) || !get_array(env, argv[7], ly, &y))
    return throw_type(env, "dgemv: A, x, y must be Float64Arrays of at least m*n and the operand lengths");
  if (ly == 0) return NULL;
  if (lx == 0) {
    /* BLAS leaves y untouched when alpha op(A) x is an empty sum only if beta = 1: do it here. */
    for (size_t i = 0; i < ly; i++) y[i] = beta == 0 ? 0 : beta * y[i];
    return NULL;
  }
  cblas_dgemv(CblasColMajor, t ? CblasTrans : CblasNoTrans, m, n, alpha, a, m < 1 ? 1 : m, x, 1, beta, y, 1);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int n;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || !get_int(env, argv[0], &n) || n < 1) return throw_type(env, "setThreads: expected a positive integer");
  openblas_set_num_threads(n);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value r;
  CHECK(env, napi_create_int32(env, openblas_get_num_threads(), &r));
  return r;
}

static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value r;
  const char *s = openblas_get_config();
  CHECK(env, napi_create_string_utf8(env, s == NULL ? "" : s, NAPI_AUTO_LENGTH, &r));
  return r;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"dgemm", NULL, dgemm, NULL, NULL, NULL, napi_default, NULL},
      {"dgemv", NULL, dgemv, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
