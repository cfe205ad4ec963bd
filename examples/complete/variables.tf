variable "salesforce_sandbox" {
  description = "Whether the org is a sandbox (logs in at test.salesforce.com)."
  type        = bool
  default     = false
}

variable "required_packages" {
  description = "Packages the setup guide needs, by the name shown in Setup -> Installed Packages, with the lowest acceptable version."
  type        = map(string)
  default = {
    "Northpass"                          = "2.1"
    "Gainsight Northpass Data Connector" = "1.0"
  }
}
