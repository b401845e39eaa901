// Named like a JNI function: the plugin checks that a library it packages exports at least one.
#[no_mangle]
pub extern "C" fn Java_dev_sark_it_Demo_answer() -> i32 {
    42
}
