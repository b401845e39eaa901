//! Placeholder until the OPA builtins regorus lacks land here.
pub fn register(_engine: &mut regorus::Engine) -> anyhow::Result<()> {
    Ok(())
}
