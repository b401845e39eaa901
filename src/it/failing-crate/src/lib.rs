#[no_mangle]
pub extern "C" fn Java_dev_sark_it_Demo_broken() -> i32 {
    let x: i32 = "not a number";
    x
}
