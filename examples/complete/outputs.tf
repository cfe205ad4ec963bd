output "installed_packages" {
  description = "Every installed package, name => version number."
  value       = { for name, p in local.installed : name => p.version_number }
}
