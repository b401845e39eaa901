#[no_mangle]
pub extern "C" fn broken() -> i32 {
    let x: i32 = "not a number";
    x
}
