package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = versionAtLeastFunction{}

func newVersionAtLeastFunction() function.Function { return versionAtLeastFunction{} }

// versionAtLeastFunction answers the guide's "verify the installed versions"
// step: is the installed package at least the version the guide needs?
type versionAtLeastFunction struct{}

func (versionAtLeastFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "version_at_least"
}

func (versionAtLeastFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether a dotted version number is at least a minimum",
		MarkdownDescription: "Compares two dotted numeric versions, such as an installed package's `version_number` " +
			"(`2.1.0.3`) with the version the setup guide requires (`2.1`). Parts are compared as numbers, and " +
			"missing parts count as 0, so `2.1` equals `2.1.0.0` and `2.10` is later than `2.9`. Returns true when " +
			"`version` is equal to or later than `minimum`. Anything other than dot-separated non-negative integers " +
			"is an error.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "version", MarkdownDescription: "The version to check, e.g. `2.1.0.3`."},
			function.StringParameter{Name: "minimum", MarkdownDescription: "The lowest acceptable version, e.g. `2.1`."},
		},
		Return: function.BoolReturn{},
	}
}

func (versionAtLeastFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var version, minimum string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &version, &minimum))
	if resp.Error != nil {
		return
	}
	v, err := parseVersion(version)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	m, err := parseVersion(minimum)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, v.compare(m) >= 0))
}
