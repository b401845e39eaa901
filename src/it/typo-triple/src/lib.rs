// Named like a JNI function, as the exports of a real JNI library are.
#[no_mangle]
pub extern "C" fn Java_dev_sark_it_Demo_answer() -> i32 {
    42
}
