output "integration_status" {
  description = "CE's connection status per org."
  value = {
    sandbox    = module.sandbox.integration_status
    production = module.production.integration_status
  }
}
