/*
 * The JNI floor: a call that does nothing, and byte[]/String round trips that do
 * only what any JNI binding must (copy the argument in, make a new Java object of the same content).
 * Built by scripts/bench.sh with the system C compiler; not part of the product.
 */
#include <jni.h>
#include <stdlib.h>

JNIEXPORT void JNICALL Java_dev_sark_bench_JniFloor_noop(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
}

JNIEXPORT jbyteArray JNICALL Java_dev_sark_bench_JniFloor_echoBytes(JNIEnv *env, jclass cls, jbyteArray in) {
    (void) cls;
    jsize n = (*env)->GetArrayLength(env, in);
    jbyte stackbuf[16384];
    jbyte *buf = n <= (jsize) sizeof stackbuf ? stackbuf : malloc((size_t) n);
    if (buf == NULL) {
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, in, 0, n, buf);
    jbyteArray out = (*env)->NewByteArray(env, n);
    if (out != NULL) {
        (*env)->SetByteArrayRegion(env, out, 0, n, buf);
    }
    if (buf != stackbuf) {
        free(buf);
    }
    return out;
}

/* Java String -> native (modified) UTF-8 -> new Java String: what a binding taking jstring pays. */
JNIEXPORT jstring JNICALL Java_dev_sark_bench_JniFloor_echoString(JNIEnv *env, jclass cls, jstring in) {
    (void) cls;
    const char *utf = (*env)->GetStringUTFChars(env, in, NULL);
    if (utf == NULL) {
        return NULL;
    }
    jstring out = (*env)->NewStringUTF(env, utf);
    (*env)->ReleaseStringUTFChars(env, in, utf);
    return out;
}
