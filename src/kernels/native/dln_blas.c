/*
 * dln_blas: a Node-API addon exposing the system OpenBLAS to dln-hessian's float64 kernel layer
 * (src/kernels/native-kernel.ts). Column-major, leading dimension = row count of the stored operand.
 *
 *   dgemm(transA, transB, m, n, k, alpha, A, B, beta, C)  C <- alpha op(A) op(B) + beta C
 *   dgemv(trans, m, n, alpha, A, x, beta, y)              y <- alpha op(A) x + beta y   (A is m x n)
 *   setThreads(n), getThreads(), config()
 *   lapack()                                              "dsyevd dgesdd" when the BLAS exports them, else ""
 *   dsyevd(vectors, n, A, w)                              w <- eigenvalues (ascending) of the symmetric A (lower
 *                                                         triangle read); A <- eigenvectors when vectors, else destroyed
 *   dgesdd(vectors, m, n, A, s, U, VT)                    s <- singular values (descending) of A (destroyed); with
 *                                                         vectors the thin U (m x r) and VT (r x n), r = min(m, n)
 * dsyevd and dgesdd return LAPACK's INFO (0, or > 0 when the iteration did not converge); argument
 * errors throw a TypeError.
 *
 * The BLAS prototypes are declared here (CBLAS enum values fixed by the standard) so that the addon
 * does not depend on which cblas.h the system installs. The LAPACK routines are weak references: an
 * OpenBLAS built without LAPACK (or another BLAS) still links and loads, lapack() then returns "" and
 * dln-hessian runs its JavaScript eigensolvers and SVD.
 */
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

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

/* LAPACK (Fortran calling convention, 32-bit integers as in Debian's libopenblas; the trailing
   size_t arguments are the hidden lengths of the CHARACTER arguments that gfortran passes). */
extern void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
                    const int *lwork, int *iwork, const int *liwork, int *info, size_t jobz_len, size_t uplo_len)
    __attribute__((weak));
extern void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s, double *u,
                    const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork, int *iwork, int *info,
                    size_t jobz_len) __attribute__((weak));

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

static bool has_lapack(void) { return dsyevd_ != NULL && dgesdd_ != NULL; }

static napi_value lapack(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value r;
  CHECK(env, napi_create_string_utf8(env, has_lapack() ? "dsyevd dgesdd" : "", NAPI_AUTO_LENGTH, &r));
  return r;
}

static napi_value return_int(napi_env env, int v) {
  napi_value r;
  CHECK(env, napi_create_int32(env, v, &r));
  return r;
}

static napi_value throw_error(napi_env env, const char *msg) {
  napi_throw_error(env, NULL, msg);
  return NULL;
}

/* Workspace sizes above INT_MAX are refused (LAPACK's LP64 interface cannot take them). */
static bool work_size(double query, int *out) {
  if (!(query >= 1) || query > 2147483647.0) return false;
  *out = (int)query;
  return true;
}

static napi_value dsyevd(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!has_lapack()) return throw_error(env, "dsyevd: the BLAS library does not export LAPACK");
  if (argc != 4) return throw_type(env, "dsyevd: expected 4 arguments");
  bool vectors;
  int n;
  double *a, *w;
  if (napi_get_value_bool(env, argv[0], &vectors) != napi_ok) return throw_type(env, "dsyevd: vectors must be a boolean");
  if (!get_int(env, argv[1], &n) || (double)n * n > 2147483647.0) return throw_type(env, "dsyevd: n must be a non-negative integer with n*n < 2^31");
  if (!get_array(env, argv[2], (size_t)n * n, &a) || !get_array(env, argv[3], (size_t)n, &w))
    return throw_type(env, "dsyevd: A, w must be Float64Arrays of at least n*n and n entries");
  if (n == 0) return return_int(env, 0);
  const char jobz = vectors ? 'V' : 'N', uplo = 'L';
  int lda = n, status = 0, lwork = -1, liwork = -1, iwq = 0;
  double wq = 0;
  dsyevd_(&jobz, &uplo, &n, a, &lda, w, &wq, &lwork, &iwq, &liwork, &status, 1, 1);
  if (status != 0) return return_int(env, status);
  if (!work_size(wq, &lwork) || iwq < 1) return throw_error(env, "dsyevd: workspace query failed");
  liwork = iwq;
  double *work = malloc(sizeof(double) * (size_t)lwork);
  int *iwork = malloc(sizeof(int) * (size_t)liwork);
  if (work == NULL || iwork == NULL) {
    free(work);
    free(iwork);
    return throw_error(env, "dsyevd: out of memory for the workspace");
  }
  dsyevd_(&jobz, &uplo, &n, a, &lda, w, work, &lwork, iwork, &liwork, &status, 1, 1);
  free(work);
  free(iwork);
  return return_int(env, status);
}

static napi_value dgesdd(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!has_lapack()) return throw_error(env, "dgesdd: the BLAS library does not export LAPACK");
  if (argc != 7) return throw_type(env, "dgesdd: expected 7 arguments");
  bool vectors;
  int m, n;
  double *a, *s, *u = NULL, *vt = NULL;
  if (napi_get_value_bool(env, argv[0], &vectors) != napi_ok) return throw_type(env, "dgesdd: vectors must be a boolean");
  if (!get_int(env, argv[1], &m) || !get_int(env, argv[2], &n) || (double)m * n > 2147483647.0)
    return throw_type(env, "dgesdd: m, n must be non-negative integers with m*n < 2^31");
  const int r = m < n ? m : n;
  if (!get_array(env, argv[3], (size_t)m * n, &a) || !get_array(env, argv[4], (size_t)r, &s) ||
      !get_array(env, argv[5], vectors ? (size_t)m * r : 0, &u) || !get_array(env, argv[6], vectors ? (size_t)r * n : 0, &vt))
    return throw_type(env, "dgesdd: A, s, U, VT must be Float64Arrays of at least m*n, min(m,n), m*min(m,n), min(m,n)*n entries");
  if (r == 0) return return_int(env, 0);
  double dummy = 0;
  if (!vectors) u = vt = &dummy;
  const char jobz = vectors ? 'S' : 'N';
  int lda = m, ldu = vectors ? m : 1, ldvt = vectors ? r : 1, status = 0, lwork = -1;
  double wq = 0;
  int *iwork = malloc(sizeof(int) * 8 * (size_t)r);
  if (iwork == NULL) return throw_error(env, "dgesdd: out of memory for the workspace");
  dgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &wq, &lwork, iwork, &status, 1);
  if (status != 0) {
    free(iwork);
    return return_int(env, status);
  }
  if (!work_size(wq, &lwork)) {
    free(iwork);
    return throw_error(env, "dgesdd: workspace query failed");
  }
  double *work = malloc(sizeof(double) * (size_t)lwork);
  if (work == NULL) {
    free(iwork);
    return throw_error(env, "dgesdd: out of memory for the workspace");
  }
  dgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &status, 1);
  free(work);
  free(iwork);
  return return_int(env, status);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"dgemm", NULL, dgemm, NULL, NULL, NULL, napi_default, NULL},
      {"dgemv", NULL, dgemv, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
      {"lapack", NULL, lapack, NULL, NULL, NULL, napi_default, NULL},
      {"dsyevd", NULL, dsyevd, NULL, NULL, NULL, napi_default, NULL},
      {"dgesdd", NULL, dgesdd, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
