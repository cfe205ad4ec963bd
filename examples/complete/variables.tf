variable "northpass_version_id" {
  description = "04t id of the Northpass package version the guide requires (2.1), from the install link Gainsight sends."
  type        = string
}

variable "data_connector_version_id" {
  description = "04t id of the Gainsight Northpass Data Connector version 1.0."
  type        = string
}

variable "salesforce_instance_url" {
  description = "The org's My Domain URL, as entered on CE's Salesforce card, e.g. https://acme.my.salesforce.com."
  type        = string
}

variable "sandbox" {
  description = "Whether the org is a sandbox (the CE card's sandbox toggle)."
  type        = bool
  default     = false
}

variable "integration_username" {
  description = "The dedicated integration user who authorizes CE; must not be a System Administrator."
  type        = string
}

variable "standard_users" {
  description = "Usernames that get the Northpass Standard User permission set (authoritative: others lose it)."
  type        = set(string)
}

variable "standard_user_expiration" {
  description = "Optional RFC 3339 time at which the permission set assignments expire."
  type        = string
  default     = null
}

variable "contact_layout" {
  description = "Full name of the Contact page layout that gets the Enrollments related list."
  type        = string
  default     = "Contact-Contact Layout"
}

variable "enrollment_external_id_format" {
  description = "What CE's sync writes into the Enrollment's External id field: \"{enrollment_id}\", or \"{course_id}:{enrollment_id}\" for a package that keys records by course. A wrong value is refused at plan, with the format Salesforce's records follow."
  type        = string
  default     = "{enrollment_id}"
}

variable "backfill_since" {
  description = "Backfill enrollments missing in Salesforce since this date (the November 2025 outage guide uses 2025-11-20)."
  type        = string
  default     = "2025-11-20"
}
