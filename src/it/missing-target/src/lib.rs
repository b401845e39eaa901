#[no_mangle]
pub extern "C" fn sark_it_answer() -> i32 {
    42
}
